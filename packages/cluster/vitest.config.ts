import { project } from '../../vitest.shared.js';

export default project('cluster', { testTimeout: 60_000, hookTimeout: 120_000 });
