import type { INodeProperties } from 'n8n-workflow';

import { outputProperties } from '../../shared/simplify';
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

const FIELDS: Record<string, Record<string, SimplifiedFields>> = {
	user: { get: USER, getEnrolled: USER },
	course: { get: COURSE, getMany: COURSE },
};

export const simplifiedFields = (
	resource: string,
	operation: string,
): SimplifiedFields | undefined => FIELDS[resource]?.[operation];

export const outputDescription: INodeProperties[] = Object.entries(FIELDS).flatMap(
	([resource, ops]) => outputProperties({ resource: [resource], operation: Object.keys(ops) }),
);
