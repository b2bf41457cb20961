import { it } from 'vitest';
import { memoryProviderTestSuite } from '../conformance/memory-provider-test-suite.js';
import { createInMemoryMemoryProvider } from './create-in-memory-memory-provider.js';

memoryProviderTestSuite(it, () => createInMemoryMemoryProvider());
