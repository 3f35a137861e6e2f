import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import { contentKindField, contentKindOrAnyField } from './fields';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, del as delete, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['content'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Add content (article, book, course, podcast, video) to the catalog', action: 'Create content' },
			{ name: 'Delete', value: 'delete', description: 'Delete content by Degreed ID or external ID', action: 'Delete content' },
			{ name: 'Get', value: 'get', description: 'Get content by Degreed ID or external ID', action: 'Get content' },
			{ name: 'Get Many', value: 'getAll', description: 'List content', action: 'Get many content items' },
			{ name: 'Update', value: 'update', description: 'Change content by Degreed ID or external ID', action: 'Update content' },
		],
		default: 'create',
	},
	contentKindField,
	contentKindOrAnyField,
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
