import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  ScimChangeEvent,
  ScimRecordSet,
  ScimRecordSource,
} from '@identity-governance/plugin-scim-node';
import { ScimEntityProvider } from './ScimEntityProvider';

describe('ScimEntityProvider', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const none: ScimRecordSet = { users: [], groups: [], withheld: [] };

  function setup(
    source: Partial<ScimRecordSource>,
    triggerReconciliation: () => Promise<void> = async () => {},
  ) {
    let listener: (change: ScimChangeEvent) => void = () => {};
    const full: ScimRecordSource = {
      readRecords: async () => none,
      subscribe: l => {
        listener = l;
        return () => {};
      },
      ...source,
    };
    const provider = new ScimEntityProvider(
      { register: () => {}, get: async () => full },
      { run: async () => {} },
      mockServices.logger.mock(),
      triggerReconciliation,
    );
    const connection: EntityProviderConnection = {
      applyMutation: jest.fn(async () => {}),
      refresh: jest.fn(async () => {}),
    };
    return {
      provider,
      connection,
      publish: (c: ScimChangeEvent) => listener(c),
    };
  }

  const change: ScimChangeEvent = {
    idp: 'entra',
    userIds: ['u1'],
    groupIds: [],
    previousRefs: [],
  };

  it('tries a failed delta again instead of dropping the changes', async () => {
    const readRecords = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog unavailable'))
      .mockResolvedValue(none);
    const { provider, connection, publish } = setup({ readRecords });
    await provider.connect(connection);
    await jest.advanceTimersByTimeAsync(0);
    publish(change);
    await jest.advanceTimersByTimeAsync(200);
    expect(readRecords).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(5000);
    // Read, applied, and read once more to check nothing changed meanwhile.
    expect(readRecords).toHaveBeenCalledTimes(3);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(readRecords).toHaveBeenLastCalledWith({
      userIds: ['u1'],
      groupIds: [],
    });
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'delta',
      added: [],
      removed: [],
    });
  });

  function userRecord(
    id: string,
    name: string,
    lastModified: string,
    memberOf: string[] = [],
  ): ScimRecordSet['users'][number] {
    return {
      id,
      idp: 'entra',
      entityRef: `user:default/${name}`,
      namespace: 'default',
      name,
      created: '2026-01-01T00:00:00Z',
      lastModified,
      userName: `${name}@example.com`,
      resource: {},
      memberOf,
    };
  }

  /** The user entities of each mutation applied, as `name@lastModified`. */
  function appliedUsers(connection: EntityProviderConnection) {
    return (connection.applyMutation as jest.Mock).mock.calls.map(
      ([mutation]) => {
        const entities =
          mutation.type === 'full' ? mutation.entities : mutation.added;
        return {
          added: entities.map(
            (e: any) =>
              `${e.entity.metadata.name}@${e.entity.metadata.annotations['scim.identity-governance.io/updated-at']}`,
          ),
          removed: (mutation.removed ?? []).map((r: any) => r.entityRef),
        };
      },
    );
  }

  it('applies a delta again when another replica changed its records while it applied them', async () => {
    // This replica reads ada's first version; before its mutation lands,
    // another replica commits a second version and applies it. Without a
    // second look, the older version would stay in the catalog.
    let stored = [userRecord('u1', 'ada', '2026-01-01T00:00:00Z')];
    const readRecords = jest.fn(async () => ({
      users: stored,
      groups: [],
      withheld: [],
    }));
    const { provider, connection, publish } = setup({ readRecords });
    (connection.applyMutation as jest.Mock).mockImplementationOnce(async () => {
      stored = [userRecord('u1', 'ada', '2026-01-02T00:00:00Z')];
    });
    await provider.connect(connection);
    publish(change);
    await jest.advanceTimersByTimeAsync(200);
    expect(appliedUsers(connection)).toEqual([
      { added: ['ada@2026-01-01T00:00:00Z'], removed: [] },
      { added: ['ada@2026-01-02T00:00:00Z'], removed: [] },
    ]);
    expect(readRecords).toHaveBeenCalledTimes(3);
  });

  it('removes a record deleted while it applied it, instead of leaving it resurrected', async () => {
    let stored = [userRecord('u1', 'ada', '2026-01-01T00:00:00Z')];
    const readRecords = jest.fn(async () => ({
      users: stored,
      groups: [],
      withheld: [],
    }));
    const { provider, connection, publish } = setup({ readRecords });
    (connection.applyMutation as jest.Mock).mockImplementationOnce(async () => {
      stored = [];
    });
    await provider.connect(connection);
    publish(change);
    await jest.advanceTimersByTimeAsync(200);
    expect(appliedUsers(connection)).toEqual([
      { added: ['ada@2026-01-01T00:00:00Z'], removed: [] },
      { added: [], removed: ['user:default/ada'] },
    ]);
  });

  it('reconciles again when the records changed while it applied them, a bounded number of times', async () => {
    let version = 0;
    const readRecords = jest.fn(async () => ({
      users: [
        userRecord('u1', 'ada', `2026-01-01T00:00:0${Math.min(version, 9)}Z`),
      ],
      groups: [],
      withheld: [],
    }));
    const { provider, connection } = setup({ readRecords });
    // An IdP that changes ada with every mutation, for ever.
    (connection.applyMutation as jest.Mock).mockImplementation(async () => {
      version += 1;
    });
    await provider.connect(connection);
    await provider.reconcile();
    expect(appliedUsers(connection)).toEqual([
      { added: ['ada@2026-01-01T00:00:00Z'], removed: [] },
      { added: ['ada@2026-01-01T00:00:01Z'], removed: [] },
      { added: ['ada@2026-01-01T00:00:02Z'], removed: [] },
    ]);

    // Records that stay put: one mutation and one look.
    (connection.applyMutation as jest.Mock).mockClear();
    (connection.applyMutation as jest.Mock).mockImplementation(async () => {});
    readRecords.mockClear();
    await provider.reconcile();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(readRecords).toHaveBeenCalledTimes(2);
  });

  it('tries a failed reconciliation again 30 s later, through the scheduler', async () => {
    // A retry this replica ran itself would hold no lock: it could run
    // beside another replica's scheduled run. It triggers the task instead.
    const readRecords = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog unavailable'))
      .mockResolvedValue(none);
    const trigger = jest.fn(async () => {});
    const { provider, connection } = setup({ readRecords }, trigger);
    await provider.connect(connection);
    await expect(provider.reconcile()).rejects.toThrow('catalog unavailable');
    await jest.advanceTimersByTimeAsync(29_999);
    expect(trigger).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(trigger).toHaveBeenCalledTimes(1);
    expect(readRecords).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(trigger).toHaveBeenCalledTimes(1);
  });

  it('takes a run already going as the retry', async () => {
    const trigger = jest.fn(async () => {
      throw new ConflictError('Task scim-reconciliation is currently running');
    });
    const { provider, connection } = setup(
      { readRecords: jest.fn().mockRejectedValue(new Error('down')) },
      trigger,
    );
    await provider.connect(connection);
    await expect(provider.reconcile()).rejects.toThrow('down');
    await jest.advanceTimersByTimeAsync(120_000);
    expect(trigger).toHaveBeenCalledTimes(1);
  });

  it('tries again 30 s later when the task cannot be triggered', async () => {
    const trigger = jest
      .fn()
      .mockRejectedValueOnce(new Error('database unavailable'))
      .mockResolvedValue(undefined);
    const { provider, connection } = setup(
      { readRecords: jest.fn().mockRejectedValue(new Error('down')) },
      trigger,
    );
    await provider.connect(connection);
    await expect(provider.reconcile()).rejects.toThrow('down');
    await jest.advanceTimersByTimeAsync(30_000);
    expect(trigger).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(trigger).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(trigger).toHaveBeenCalledTimes(2);
  });
});
