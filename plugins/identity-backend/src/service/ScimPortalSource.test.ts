import { mockServices } from '@backstage/backend-test-utils';
import {
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ScimHistoryEntry,
  ScimPortalApi,
} from '@identity-governance/plugin-scim-node';
import { StoredUser } from '../store/IdentityStore';
import { ScimPortalSource } from './ScimPortalSource';

function scimUser(annotations: Record<string, string>): StoredUser {
  return {
    entityRef: 'user:default/sam',
    etag: 'e',
    namespace: 'default',
    name: 'sam',
    source: 'scim',
    orphaned: false,
    processingErrors: false,
    deactivated: false,
    scimManaged: true,
    details: { annotations, errors: [] },
    noGroups: false,
    uncountedMemberships: false,
    duplicateEmail: false,
    directGroupCount: 0,
    inheritedGroupCount: 0,
  };
}

const samAnnotations = {
  'scim.identity-governance.io/idp': 'entra',
  'scim.identity-governance.io/id': 'scim-1',
  'scim.identity-governance.io/user-name': 'sam@example.com',
  'scim.identity-governance.io/provisioned-at': '2025-01-01T00:00:00Z',
  'scim.identity-governance.io/updated-at': '2025-01-02T00:00:00Z',
};

const notInstalled = () =>
  new NotImplementedError(
    'Cannot list source conflicts: the scim plugin does not answer at http://localhost:0/api/scim/conflicts; is @identity-governance/plugin-scim-backend installed in this backend?',
  );

describe('ScimPortalSource', () => {
  const logger = mockServices.logger.mock();
  const portal: jest.Mocked<ScimPortalApi> = {
    deactivateUser: jest.fn(),
    getHistory: jest.fn(),
    listConflicts: jest.fn(),
    listHeldMemberships: jest.fn(),
    adoptConflict: jest.fn(),
  };
  const source = new ScimPortalSource({ portal, logger });

  beforeEach(() => {
    jest.resetAllMocks();
  });

  describe('deactivate', () => {
    const request = {
      entityRef: 'user:default/sam',
      idp: 'entra',
      scimId: 'id 1',
      requestedBy: 'user:default/ada',
    };

    it('deactivates the SCIM record, naming who asked', async () => {
      portal.deactivateUser.mockResolvedValue({
        id: 'id 1',
        idp: 'entra',
        active: false,
      });
      await source.deactivate(request);
      expect(portal.deactivateUser).toHaveBeenCalledWith({
        idp: 'entra',
        id: 'id 1',
        requestedBy: 'user:default/ada',
      });
    });

    it('passes on what the scim plugin answered', async () => {
      portal.deactivateUser.mockRejectedValue(
        new NotFoundError('The scim plugin cannot deactivate user id 1'),
      );
      await expect(source.deactivate(request)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      portal.deactivateUser.mockRejectedValue(new NotAllowedError('no'));
      await expect(source.deactivate(request)).rejects.toBeInstanceOf(
        NotAllowedError,
      );
    });

    it('says how to fix a missing scim plugin', async () => {
      portal.deactivateUser.mockRejectedValue(notInstalled());
      const error = await source.deactivate(request).catch(e => e);
      expect(error.name).toBe('NotImplementedError');
      expect(error.message).toMatch(
        /does not answer at .*identity\.scim\.enabled to false/,
      );
    });
  });

  describe('getProvisioning', () => {
    it('is nothing for users the SCIM module did not provision', async () => {
      expect(
        await source.getProvisioning({ ...scimUser({}), scimManaged: false }),
      ).toBeUndefined();
      expect(portal.getHistory).not.toHaveBeenCalled();
    });

    it('merges the recorded history of the resource into the annotations', async () => {
      const history: ScimHistoryEntry[] = [
        {
          idp: 'entra',
          resourceType: 'User',
          resourceId: 'scim-1',
          entityRef: 'user:default/sam',
          action: 'deactivated',
          at: '2025-02-01T00:00:00Z',
          details: { deactivatedBy: 'user:default/ada' },
        },
        {
          idp: 'entra',
          resourceType: 'Group',
          resourceId: 'scim-1',
          entityRef: 'group:default/sam',
          action: 'created',
          at: '2025-01-15T00:00:00Z',
        },
        {
          idp: 'entra',
          resourceType: 'User',
          resourceId: 'scim-1',
          entityRef: 'user:default/sam',
          action: 'conflict',
          at: '2025-01-01T00:00:00Z',
          conflict: {
            entityRef: 'user:default/sam',
            otherOrigin: 'file:/org/users.yaml',
            detectedAt: '2025-01-01T00:00:00Z',
          },
        },
      ];
      portal.getHistory.mockResolvedValue(history);
      const provisioning = await source.getProvisioning(
        scimUser(samAnnotations),
      );
      expect(portal.getHistory).toHaveBeenCalledWith({ resourceId: 'scim-1' });
      expect(provisioning).toEqual({
        idp: 'entra',
        scimId: 'scim-1',
        userName: 'sam@example.com',
        provisionedAt: '2025-01-01T00:00:00Z',
        updatedAt: '2025-01-02T00:00:00Z',
        active: true,
        history: [
          {
            at: '2025-02-01T00:00:00Z',
            action: 'deactivated',
            idp: 'entra',
            details: { deactivatedBy: 'user:default/ada' },
          },
          {
            at: '2025-01-01T00:00:00Z',
            action: 'conflict',
            idp: 'entra',
            conflict: {
              entityRef: 'user:default/sam',
              otherOrigin: 'file:/org/users.yaml',
              detectedAt: '2025-01-01T00:00:00Z',
            },
          },
        ],
      });
    });

    it('asks by entity ref when the SCIM id is unknown', async () => {
      portal.getHistory.mockResolvedValue([]);
      const provisioning = await source.getProvisioning(
        scimUser({ 'scim.identity-governance.io/idp': 'entra' }),
      );
      expect(portal.getHistory).toHaveBeenCalledWith({
        entityRef: 'user:default/sam',
      });
      expect(provisioning?.history).toEqual([]);
    });

    it('falls back to the annotations without the scim plugin', async () => {
      portal.getHistory.mockRejectedValue(notInstalled());
      const provisioning = await source.getProvisioning(
        scimUser(samAnnotations),
      );
      expect(provisioning).toMatchObject({ idp: 'entra', scimId: 'scim-1' });
      expect(provisioning?.history).toBeUndefined();
      expect(logger.debug).toHaveBeenCalled();
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('falls back to the annotations when the history cannot be read', async () => {
      portal.getHistory.mockRejectedValue(
        new ServiceUnavailableError('The scim plugin failed (HTTP 500)'),
      );
      const provisioning = await source.getProvisioning(
        scimUser(samAnnotations),
      );
      expect(provisioning).toMatchObject({ idp: 'entra', scimId: 'scim-1' });
      expect(provisioning?.history).toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/provisioning history of user:default\/sam/),
      );
    });
  });

  describe('listConflicts', () => {
    const held = {
      idp: 'entra',
      resourceType: 'User' as const,
      resourceId: 'scim-9',
      entityRef: 'user:default/oscar.ordinary',
      otherOrigin: 'file:/org/users.yaml',
      detectedAt: '2026-12-02T10:00:00Z',
    };

    it('lists the records held back', async () => {
      portal.listConflicts.mockResolvedValue([held]);
      expect(await source.listConflicts()).toEqual([held]);
      expect(
        await source.listConflicts({ entityRef: 'user:default/oscar' }),
      ).toEqual([held]);
      expect(portal.listConflicts).toHaveBeenLastCalledWith({
        entityRef: 'user:default/oscar',
      });
    });

    it('is empty without the scim plugin, and unavailable when it fails', async () => {
      portal.listConflicts.mockRejectedValue(notInstalled());
      expect(await source.listConflicts()).toEqual([]);

      portal.listConflicts.mockRejectedValue(
        new ServiceUnavailableError('database is down'),
      );
      await expect(source.listConflicts()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: 'database is down',
      });

      // The scim plugin refusing the identity plugin is not the caller's
      // fault: it is unavailable to them.
      portal.listConflicts.mockRejectedValue(
        new NotAllowedError('The scim plugin refused (HTTP 403)'),
      );
      await expect(source.listConflicts()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('refused'),
      });
    });
  });

  describe('listHeldMemberships', () => {
    it('names each member of a held group as an uncounted membership', async () => {
      portal.listHeldMemberships.mockResolvedValue([
        {
          memberRef: 'user:default/mallory',
          conflict: {
            idp: 'entra',
            resourceType: 'Group',
            resourceId: 'scim-7',
            entityRef: 'group:default/platform-admins',
            otherOrigin: 'file:/org/groups.yaml',
            detectedAt: '2026-12-02T10:00:00Z',
          },
        },
      ]);
      expect(await source.listHeldMemberships()).toEqual([
        {
          userRef: 'user:default/mallory',
          groupRef: 'group:default/platform-admins',
          reason: 'conflict',
          path: ['user:default/mallory', 'group:default/platform-admins'],
          declaredBy: 'scim:entra/Groups/scim-7',
          origin: 'scim:entra',
        },
      ]);
    });

    it('is empty without the scim plugin, and unavailable when it fails', async () => {
      portal.listHeldMemberships.mockRejectedValue(notInstalled());
      expect(await source.listHeldMemberships()).toEqual([]);
      portal.listHeldMemberships.mockRejectedValue(new Error('socket hang up'));
      await expect(source.listHeldMemberships()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('socket hang up'),
      });
    });
  });
});
