import { project } from '../../vitest.shared.js';

export default project('demo', { testTimeout: 60_000, hookTimeout: 60_000 });
