import { isRefreshDue } from './isRefreshDue';

const at = (seconds: number) =>
  new Date(Date.UTC(2026, 10, 23, 12, 0, seconds));

describe('isRefreshDue', () => {
  it('is due when nothing was recorded yet', () => {
    expect(isRefreshDue({}, at(0), 0.25)).toBe(true);
    expect(isRefreshDue({ startedAt: at(0) }, at(1), 0.25)).toBe(true);
  });

  it('waits the scan time divided by the share since the last start', () => {
    // A 3 s scan at a quarter of the time: at most one start per 12 s.
    const record = { startedAt: at(0), scanMs: 3000 };
    expect(isRefreshDue(record, at(5), 0.25)).toBe(false);
    expect(isRefreshDue(record, at(11), 0.25)).toBe(false);
    expect(isRefreshDue(record, at(12), 0.25)).toBe(true);
    // A share of 1 never holds a refresh back past the scan itself.
    expect(isRefreshDue(record, at(3), 1)).toBe(true);
  });

  it('is due at once when a refresh was asked for since the last start', () => {
    const record = { startedAt: at(10), scanMs: 3000 };
    expect(isRefreshDue({ ...record, requestedAt: at(11) }, at(12), 0.25)).toBe(
      true,
    );
    // Asked for before the last refresh started: that refresh saw it.
    expect(isRefreshDue({ ...record, requestedAt: at(9) }, at(12), 0.25)).toBe(
      false,
    );
  });
});
