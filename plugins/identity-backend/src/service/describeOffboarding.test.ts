import { StoredUser } from '../store/IdentityStore';
import { describeOffboarding } from './describeOffboarding';

function scimUser(annotations: Record<string, string>): StoredUser {
  return {
    entityRef: 'user:default/sam',
    etag: 'e',
    namespace: 'default',
    name: 'sam',
    source: 'scim',
    managedByLocation: 'scim:entra',
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

describe('describeOffboarding of SCIM records', () => {
  const complete = scimUser({
    'scim.identity-governance.io/idp': 'entra',
    'scim.identity-governance.io/id': 'scim-1',
  });

  it('deactivates in the SCIM module when it is available', () => {
    expect(describeOffboarding(complete, true)).toMatchObject({
      action: 'scimDeactivate',
      willReturn: false,
      supported: true,
      message: expect.stringMatching(
        /provisioned over SCIM by entra\. Offboarding deactivates it in the SCIM plugin/,
      ),
    });
  });

  it('says so when SCIM offboarding is off', () => {
    expect(describeOffboarding(complete, false)).toMatchObject({
      action: 'scimDeactivate',
      supported: false,
      message: expect.stringMatching(
        /SCIM offboarding is off in this backend \(identity\.scim\.enabled is false\)/,
      ),
    });
  });

  it('cannot deactivate a record that does not name its SCIM resource', () => {
    const partial = scimUser({ 'scim.identity-governance.io/idp': 'entra' });
    expect(describeOffboarding(partial, true)).toMatchObject({
      action: 'scimDeactivate',
      supported: false,
      message: expect.stringMatching(
        /not the scim\.identity-governance\.io\/idp and scim\.identity-governance\.io\/id/,
      ),
    });
  });
});
