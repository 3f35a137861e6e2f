import type { INodeProperties } from 'n8n-workflow';

import { outputProperties } from '../../shared/simplify';
import type { SimplifiedFields } from '../../shared/simplify';

/** A registration: who, which course, how far (SCORM Cloud returns 20+ fields, nested). */
const REGISTRATION: SimplifiedFields = [
	'id',
	'course.id',
	'course.title',
	'learner.id',
	'learner.email',
	'registrationCompletion',
	'registrationSuccess',
	'score.scaled',
	'totalSecondsTracked',
	'lastAccessDate',
];
/** A course (SCORM Cloud returns 15+ fields, metadata nested). */
const COURSE: SimplifiedFields = [
	'id',
	'title',
	'version',
	'courseLearningStandard',
	'created',
	'updated',
	'registrationCount',
	'tags',
	'xapiActivityId',
	'metadata.duration',
];

const FIELDS: Record<string, Record<string, SimplifiedFields>> = {
	registration: { get: REGISTRATION, getMany: REGISTRATION },
	course: { get: COURSE, getMany: COURSE },
};

export const simplifiedFields = (
	resource: string,
	operation: string,
): SimplifiedFields | undefined => FIELDS[resource]?.[operation];

export const outputDescription: INodeProperties[] = Object.entries(FIELDS).flatMap(
	([resource, ops]) => outputProperties({ resource: [resource], operation: Object.keys(ops) }),
);
