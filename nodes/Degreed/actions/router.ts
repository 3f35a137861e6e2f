import { createRouter } from '../../shared/router';
import { createDegreedClient } from '../transport/client';
import { degreedProfile } from '../transport/profile';
import * as completion from './completion/Completion.resource';
import * as content from './content/Content.resource';
import * as user from './user/User.resource';
import * as xapiStatement from './xapiStatement/XapiStatement.resource';

export const router = createRouter({
	resources: {
		completion: completion.operations,
		content: content.operations,
		user: user.operations,
		xapiStatement: xapiStatement.operations,
	},
	rateLimit: degreedProfile.rateLimit,
	createClient: createDegreedClient,
});
