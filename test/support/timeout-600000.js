// Jest setup for the reliability project: the fault soak runs minutes, not seconds.
jest.setTimeout(600000);
