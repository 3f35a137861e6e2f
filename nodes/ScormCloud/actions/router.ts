import { createRouter } from '../../shared/router';
import { createScormCloudClient } from '../transport/client';
import { scormCloudProfile } from '../transport/profile';
import * as course from './course/Course.resource';
import * as ping from './ping/Ping.resource';
import * as registration from './registration/Registration.resource';

export const router = createRouter({
	resources: {
		registration: registration.operations,
		course: course.operations,
		ping: ping.operations,
	},
	rateLimit: scormCloudProfile.rateLimit,
	createClient: createScormCloudClient,
});
