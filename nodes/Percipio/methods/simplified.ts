import { simplifiedOutput } from '../../shared/simplify';
import type { SimplifiedFields } from '../../shared/simplify';

/** A Percipio user (15+ fields, custom attributes and audiences nested). */
const USER: SimplifiedFields = [
	'id',
	'externalUserId',
	'loginName',
	'email',
	'firstName',
	'lastName',
	'isActive',
	'role',
	'jobTitle',
	'updatedAt',
];
/** A catalog item (30+ fields, localized metadata nested). */
const CONTENT: SimplifiedFields = [
	'id',
	'code',
	'localizedMetadata.0.title',
	'contentType.displayLabel',
	'contentType.percipioType',
	'duration',
	'link',
	'lifecycle.status',
	'lifecycle.lastUpdatedDate',
	'localizedMetadata.0.localeCode',
];

export const { simplifiedFields, outputDescription } = simplifiedOutput({
	user: { get: USER, getAll: USER },
	catalogContent: { getAll: CONTENT },
});
