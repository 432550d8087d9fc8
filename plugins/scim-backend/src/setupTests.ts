// These tests start real backends and databases (SQLite and PostgreSQL);
// on a busy two-core CI machine a setup hook can take longer than Jest's
// default 5 s without anything being wrong.
jest.setTimeout(60_000);
