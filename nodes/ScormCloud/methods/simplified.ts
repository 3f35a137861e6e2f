import { simplifiedOutput } from '../../shared/simplify';
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

export const { simplifiedFields, outputDescription } = simplifiedOutput({
	registration: { get: REGISTRATION, getAll: REGISTRATION },
	course: { get: COURSE, getAll: COURSE },
});
