import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { describeDataPlane } from '../testing/describe-data-plane.js';

describeDataPlane('the in-memory reference provider', async () => createInMemoryMemoryProvider());
