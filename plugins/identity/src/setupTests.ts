import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Each component test renders a whole test app; on a busy two-core CI
// machine a render, or the wait for data to appear, can take longer than the
// defaults (5 s per test, 1 s per findBy/waitFor) without being wrong.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
