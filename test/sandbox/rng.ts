// Seeded random numbers (pure-rand's xoroshiro128+), so that a sandbox run is reproducible:
// the same seed and the same sequence of requests give the same fault decisions and ids.
import type { SeededRandom } from './types';

interface RandomGenerator {
	next(): number;
}
// pure-rand 8 publishes its modules only through package "exports" subpaths, which the project's
// `moduleResolution: node` cannot type; the runtime resolves them fine, so the two functions used are
// typed here by hand.
/* eslint-disable @typescript-eslint/no-require-imports */
const { xoroshiro128plus } = require('pure-rand/generator/xoroshiro128plus') as {
	xoroshiro128plus(seed: number): RandomGenerator;
};
const { uniformFloat64 } = require('pure-rand/distribution/uniformFloat64') as {
	uniformFloat64(rng: RandomGenerator): number;
};
const { uniformInt } = require('pure-rand/distribution/uniformInt') as {
	uniformInt(rng: RandomGenerator, from: number, to: number): number;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** 32-bit FNV-1a of `label`, mixed with `seed`: independent, stable streams per provider / fault plan. */
export function deriveSeed(seed: number, label: string): number {
	let h = 0x811c9dc5 ^ (seed | 0);
	for (let i = 0; i < label.length; i++) {
		h ^= label.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h | 0;
}

const HEX = '0123456789abcdef';

export function createRandom(seed: number): SeededRandom {
	const rng = xoroshiro128plus(seed | 0);
	const nibble = () => HEX[uniformInt(rng, 0, 15)];
	return {
		float: () => uniformFloat64(rng),
		int: (min, max) => uniformInt(rng, min, max),
		pick: (items) => {
			if (items.length === 0) throw new Error('pick() from an empty list');
			return items[uniformInt(rng, 0, items.length - 1)];
		},
		hex: (length) => {
			let s = '';
			for (let i = 0; i < length; i++) s += nibble();
			return s;
		},
		uuid: () => {
			let s = '';
			for (let i = 0; i < 32; i++) {
				const c = i === 12 ? '4' : i === 16 ? HEX[8 + uniformInt(rng, 0, 3)] : nibble();
				s += c;
				if (i === 7 || i === 11 || i === 15 || i === 19) s += '-';
			}
			return s;
		},
	};
}
