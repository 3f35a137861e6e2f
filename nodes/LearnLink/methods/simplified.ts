import { simplifiedOutput } from '../../shared/simplify';
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

export const { simplifiedFields, outputDescription } = simplifiedOutput({
	user: { get: USER, getAll: USER },
	content: { get: CONTENT, getAll: CONTENT },
});
