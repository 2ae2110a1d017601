import { project } from '../../vitest.shared.js';

export default project('otlp', { testTimeout: 30_000, hookTimeout: 60_000 });
