import { simplifiedOutput } from '../../shared/simplify';
import type { SimplifiedFields } from '../../shared/simplify';

/** A Moodle user as most workflows use it (Moodle returns 20+ fields, custom fields nested). */
const USER: SimplifiedFields = [
	'id',
	'username',
	'firstname',
	'lastname',
	'email',
	'idnumber',
	'suspended',
	'department',
	'lastaccess',
	'courseid',
];
/** A Moodle course (Moodle returns 25+ fields). */
const COURSE: SimplifiedFields = [
	'id',
	'shortname',
	'fullname',
	'idnumber',
	'categoryid',
	'categoryname',
	'visible',
	'startdate',
	'enddate',
	'format',
];

export const { simplifiedFields, outputDescription } = simplifiedOutput({
	user: { get: USER, getEnrolled: USER },
	course: { get: COURSE, getAll: COURSE },
});
