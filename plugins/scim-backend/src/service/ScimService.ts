import { JsonObject, JsonValue } from '@backstage/types';
import { randomUUID } from 'crypto';
import { Filter } from 'scim2-parse-filter';
import { UserNameStrategy } from '../config/ScimConfig';
import { applyPatchOperations } from '../patch/applyPatchOperations';
import { normalizeResource } from '../schema/normalizeResource';
import { groupResource, userResource } from '../schema/scimAttributes';
import {
  ListResult,
  ScimChange,
  ScimStore,
  StoredGroup,
  StoredUser,
} from '../store/ScimStore';
import {
  ScimAction,
  ScimConflict,
} from '@identity-governance/plugin-scim-node';
import {
  groupEntityNameCandidates,
  userEntityNameCandidates,
} from './entityNames';
import { etagOf } from './formatResource';
import { ScimError } from '../errors/ScimError';

export interface ListParams {
  filter?: Filter;
  startIndex: number;
  count: number;
}

export interface ScimServiceOptions {
  store: ScimStore;
  userNameStrategy: UserNameStrategy;
  /** Told about every committed change, to update the catalog. */
  onChange(change: ScimChange & { idp: string }): void;
}

/**
 * Checks an If-Match header against the current version. Absent means "any";
 * `*` matches any existing resource.
 */
function checkIfMatch(ifMatch: string | undefined, version: number) {
  if (!ifMatch) {
    return;
  }
  const current = etagOf(version);
  const tags = ifMatch.split(',').map(t => t.trim());
  const strip = (t: string) => t.replace(/^W\//, '');
  if (!tags.some(t => t === '*' || strip(t) === strip(current))) {
    throw ScimError.preconditionFailed(
      `Resource version ${current} does not match If-Match ${ifMatch}`,
    );
  }
}

function activeAction(wasActive: boolean, isActive: boolean): ScimAction {
  if (wasActive && !isActive) {
    return 'deactivated';
  }
  if (!wasActive && isActive) {
    return 'reactivated';
  }
  return 'updated';
}

/**
 * The SCIM protocol logic: validation, PATCH semantics, preconditions and
 * naming. Every method works within one identity provider's resources.
 */
export class ScimService {
  constructor(private readonly options: ScimServiceOptions) {}

  private get store() {
    return this.options.store;
  }

  private toUserWrite(
    id: string,
    resource: JsonObject,
    wasActive: boolean | undefined,
  ) {
    const userName = resource.userName;
    if (typeof userName !== 'string' || !userName.trim()) {
      throw ScimError.badRequest('invalidValue', "'userName' is required");
    }
    const active =
      resource.active === undefined ? true : Boolean(resource.active);
    const { active: _omit, ...rest } = resource;
    return {
      resource: rest,
      userName,
      active,
      entityNameCandidates: userEntityNameCandidates(
        userName,
        id,
        this.options.userNameStrategy,
      ),
      action:
        wasActive === undefined
          ? ('created' as const)
          : activeAction(wasActive, active),
    };
  }

  private toGroupWrite(id: string, resource: JsonObject, isNew: boolean) {
    const displayName = resource.displayName;
    if (typeof displayName !== 'string' || !displayName.trim()) {
      throw ScimError.badRequest('invalidValue', "'displayName' is required");
    }
    const { members, ...rest } = resource;
    const memberIds = ((members as JsonObject[] | undefined) ?? []).map(m => {
      if (typeof m.value !== 'string' || !m.value) {
        throw ScimError.badRequest(
          'invalidValue',
          "Every member needs a string 'value'",
        );
      }
      return m.value;
    });
    return {
      resource: rest,
      displayName,
      memberIds,
      entityNameCandidates: groupEntityNameCandidates(displayName, id),
      action: isNew ? ('created' as const) : ('updated' as const),
    };
  }

  private emit(idp: string, change: ScimChange) {
    const { userIds, groupIds, previousRefs } = change;
    this.options.onChange({ idp, userIds, groupIds, previousRefs });
  }

  async createUser(idp: string, body: JsonValue): Promise<StoredUser> {
    const id = randomUUID();
    const resource = normalizeResource(userResource, body);
    const change = await this.store.createUser(
      idp,
      id,
      this.toUserWrite(id, resource, undefined),
    );
    this.emit(idp, change);
    return change.user!;
  }

  async getUser(idp: string, id: string): Promise<StoredUser> {
    const user = await this.store.getUser(idp, id);
    if (!user) {
      throw ScimError.notFound(`User ${id} not found`);
    }
    return user;
  }

  listUsers(idp: string, params: ListParams): Promise<ListResult<StoredUser>> {
    return this.store.listUsers(idp, params);
  }

  async replaceUser(
    idp: string,
    id: string,
    body: JsonValue,
    ifMatch?: string,
  ): Promise<StoredUser> {
    const resource = normalizeResource(userResource, body);
    const change = await this.store.modifyUser(idp, id, current => {
      checkIfMatch(ifMatch, current.version);
      return this.toUserWrite(id, resource, current.active);
    });
    this.emit(idp, change);
    return change.user!;
  }

  async patchUser(
    idp: string,
    id: string,
    body: JsonValue,
    ifMatch?: string,
  ): Promise<StoredUser> {
    const change = await this.store.modifyUser(idp, id, current => {
      checkIfMatch(ifMatch, current.version);
      const patched = applyPatchOperations(
        userResource,
        { ...current.resource, active: current.active },
        body,
      );
      return this.toUserWrite(
        id,
        normalizeResource(userResource, patched),
        current.active,
      );
    });
    this.emit(idp, change);
    return change.user!;
  }

  /**
   * Deactivates a user for the portal rather than for its IdP: offboarding
   * from the Identity page. The entity leaves the catalog and stays gone
   * until the IdP reactivates the user; `details` (who asked) goes into the
   * provisioning history.
   */
  async deactivateUser(
    idp: string,
    id: string,
    details: JsonObject,
  ): Promise<StoredUser> {
    const change = await this.store.modifyUser(idp, id, current => ({
      ...this.toUserWrite(
        id,
        { ...current.resource, active: false },
        current.active,
      ),
      details,
    }));
    this.emit(idp, change);
    return change.user!;
  }

  async deleteUser(idp: string, id: string, ifMatch?: string): Promise<void> {
    const change = await this.store.deleteUser(idp, id, current =>
      checkIfMatch(ifMatch, current.version),
    );
    this.emit(idp, change);
  }

  async createGroup(idp: string, body: JsonValue): Promise<StoredGroup> {
    const id = randomUUID();
    const resource = normalizeResource(groupResource, body);
    const change = await this.store.createGroup(
      idp,
      id,
      this.toGroupWrite(id, resource, true),
    );
    this.emit(idp, change);
    return change.group!;
  }

  async getGroup(
    idp: string,
    id: string,
    options?: { members?: boolean },
  ): Promise<StoredGroup> {
    const group = await this.store.getGroup(idp, id, options);
    if (!group) {
      throw ScimError.notFound(`Group ${id} not found`);
    }
    return group;
  }

  listGroups(
    idp: string,
    params: ListParams & { members?: boolean },
  ): Promise<ListResult<StoredGroup>> {
    return this.store.listGroups(idp, params);
  }

  async replaceGroup(
    idp: string,
    id: string,
    body: JsonValue,
    ifMatch?: string,
  ): Promise<StoredGroup> {
    const resource = normalizeResource(groupResource, body);
    const change = await this.store.modifyGroup(idp, id, current => {
      checkIfMatch(ifMatch, current.version);
      return this.toGroupWrite(id, resource, false);
    });
    this.emit(idp, change);
    return change.group!;
  }

  async patchGroup(
    idp: string,
    id: string,
    body: JsonValue,
    ifMatch?: string,
  ): Promise<StoredGroup> {
    const change = await this.store.modifyGroup(idp, id, current => {
      checkIfMatch(ifMatch, current.version);
      const members = (current.members ?? []).map(m => ({
        value: m.value,
        type: m.type,
      }));
      const patched = applyPatchOperations(
        groupResource,
        { ...current.resource, members },
        body,
      );
      return this.toGroupWrite(
        id,
        normalizeResource(groupResource, patched),
        false,
      );
    });
    this.emit(idp, change);
    return change.group!;
  }

  /**
   * Resolves a conflict for the portal: the record takes over the entity
   * ref, adopted from the other source, and is emitted again with what
   * names it.
   */
  async adoptConflict(
    idp: string,
    id: string,
    adoptedBy: string,
  ): Promise<ScimConflict> {
    const { conflict, change } = await this.store.adoptConflict(
      idp,
      id,
      adoptedBy,
    );
    this.emit(idp, change);
    return conflict;
  }

  async deleteGroup(idp: string, id: string, ifMatch?: string): Promise<void> {
    const change = await this.store.deleteGroup(idp, id, current =>
      checkIfMatch(ifMatch, current.version),
    );
    this.emit(idp, change);
  }
}
