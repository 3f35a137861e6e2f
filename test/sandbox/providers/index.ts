// Every provider emulator the sandbox starts by default (CLI, integration tests, demo, benchmark).
// Add yours here: one import and one line in allProviders(). Each call returns fresh instances,
// because emulators keep state.
import type { SandboxProvider } from '../types';
import { degreedProvider } from './degreed';
import { learnlinkProvider } from './learnlink';
import { moodleProvider } from './moodle';
import { percipioProvider } from './percipio';
import { scormCloudProvider } from './scormcloud';

export function allProviders(): SandboxProvider[] {
	return [
		percipioProvider({ demoData: true }),
		degreedProvider(),
		learnlinkProvider(),
		scormCloudProvider(),
		moodleProvider(),
	];
}
