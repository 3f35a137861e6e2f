import { createRouter } from '../../shared/router';
import { createLearnLinkClient } from '../transport/client';
import { learnLinkProfile } from '../transport/profile';
import * as activity from './activity/Activity.resource';
import * as audience from './audience/Audience.resource';
import * as completion from './completion/Completion.resource';
import * as content from './content/Content.resource';
import * as user from './user/User.resource';
import * as userEvent from './userEvent/UserEvent.resource';

export const router = createRouter({
	resources: {
		user: user.operations,
		userEvent: userEvent.operations,
		completion: completion.operations,
		content: content.operations,
		activity: activity.operations,
		audience: audience.operations,
	},
	rateLimit: learnLinkProfile.rateLimit,
	createClient: createLearnLinkClient,
});
