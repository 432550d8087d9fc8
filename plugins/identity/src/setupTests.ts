import '@testing-library/jest-dom';

// Each component test renders a whole test app; on a busy two-core CI
// machine one can take longer than Jest's default 5 s without being wrong.
jest.setTimeout(30_000);
