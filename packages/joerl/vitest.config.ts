import { project } from '../../vitest.shared.js';

export default project('joerl', { testTimeout: 30_000, hookTimeout: 60_000 });
