import type { INodeProperties } from 'n8n-workflow';

import { outputProperties } from '../../shared/simplify';
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

const FIELDS: Record<string, Record<string, SimplifiedFields>> = {
	user: { get: USER, getAll: USER },
	catalogContent: { getAll: CONTENT },
};

export const simplifiedFields = (
	resource: string,
	operation: string,
): SimplifiedFields | undefined => FIELDS[resource]?.[operation];

export const outputDescription: INodeProperties[] = Object.entries(FIELDS).flatMap(
	([resource, ops]) => outputProperties({ resource: [resource], operation: Object.keys(ops) }),
);
