import { simplifiedOutput } from '../../shared/simplify';
import type { SimplifiedFields } from '../../shared/simplify';

/** A Degreed user (20+ profile attributes). */
const USER: SimplifiedFields = [
	'id',
	'firstName',
	'lastName',
	'email',
	'employeeId',
	'userName',
	'isActive',
	'organizationId',
	'location',
	'createdAt',
];
/** A content item (15+ attributes). */
const CONTENT: SimplifiedFields = [
	'id',
	'title',
	'contentType',
	'externalId',
	'url',
	'duration',
	'durationType',
	'language',
	'providerCode',
	'modifiedAt',
];
/** A completion (learner, content and result attributes, relationships). */
const COMPLETION: SimplifiedFields = [
	'id',
	'userId',
	'email',
	'employeeId',
	'contentId',
	'externalId',
	'contentType',
	'completedAt',
	'percentile',
	'isVerified',
];

export const { simplifiedFields, outputDescription } = simplifiedOutput({
	user: { get: USER, getAll: USER },
	content: { get: CONTENT, getAll: CONTENT },
	completion: { get: COMPLETION, getAll: COMPLETION },
});
