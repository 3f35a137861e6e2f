import { createRouter } from '../../shared/router';
import { createPercipioClient } from '../transport/client';
import { percipioProfile } from '../transport/profile';
import * as catalogContent from './catalogContent/CatalogContent.resource';
import * as contentImport from './contentImport/ContentImport.resource';
import * as report from './report/Report.resource';
import * as statement from './statement/Statement.resource';
import * as track from './track/Track.resource';
import * as user from './user/User.resource';

export const router = createRouter({
	resources: {
		contentImport: contentImport.operations,
		track: track.operations,
		statement: statement.operations,
		user: user.operations,
		catalogContent: catalogContent.operations,
		report: report.operations,
	},
	rateLimit: percipioProfile.rateLimit,
	createClient: createPercipioClient,
});
