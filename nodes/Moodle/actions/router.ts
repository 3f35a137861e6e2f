import { createRouter } from '../../shared/router';
import { createMoodleClient } from '../transport/client';
import { moodleProfile } from '../transport/profile';
import * as completion from './completion/Completion.resource';
import * as course from './course/Course.resource';
import * as enrolment from './enrolment/Enrolment.resource';
import * as grade from './grade/Grade.resource';
import * as percipio from './percipio/Percipio.resource';
import * as user from './user/User.resource';
import * as webService from './webService/WebService.resource';

export const router = createRouter({
	resources: {
		user: user.operations,
		course: course.operations,
		enrolment: enrolment.operations,
		completion: completion.operations,
		grade: grade.operations,
		percipio: percipio.operations,
		webService: webService.operations,
	},
	rateLimit: moodleProfile.rateLimit,
	createClient: createMoodleClient,
});
