import { project } from '../../vitest.shared.js';

export default project('docs', { testTimeout: 120_000, hookTimeout: 120_000 });
