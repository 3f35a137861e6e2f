import type { INodeProperties } from 'n8n-workflow';

import { outputProperties } from '../../shared/simplify';
import type { SimplifiedFields } from '../../shared/simplify';

/** A Thrive user (15+ profile fields, custom attributes nested). */
const USER: SimplifiedFields = [
	'id',
	'ref',
	'firstName',
	'lastName',
	'email',
	'status',
	'role',
	'jobTitle',
	'managerRef',
	'startDate',
];
/** A content item (title, type, URLs, tags, authors, dates…). */
const CONTENT: SimplifiedFields = [
	'id',
	'title',
	'type',
	'urls.0',
	'description',
	'duration',
	'language',
	'tags',
	'createdAt',
	'updatedAt',
];

const FIELDS: Record<string, Record<string, SimplifiedFields>> = {
	user: { get: USER, getAll: USER },
	content: { get: CONTENT, getAll: CONTENT },
};

export const simplifiedFields = (
	resource: string,
	operation: string,
): SimplifiedFields | undefined => FIELDS[resource]?.[operation];

export const outputDescription: INodeProperties[] = Object.entries(FIELDS).flatMap(
	([resource, ops]) => outputProperties({ resource: [resource], operation: Object.keys(ops) }),
);
