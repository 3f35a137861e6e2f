jest.setTimeout(900000);
