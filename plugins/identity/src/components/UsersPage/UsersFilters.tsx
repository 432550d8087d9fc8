import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  IdentityGroupNode,
  IdentitySource,
  identitySources,
  IdentityStatusFlag,
  identityStatusFlags,
} from '@identity-governance/plugin-identity-common';
import { useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { shortRef } from '../shared/shortRef';
import { sourceLabels, statusFlagLabels } from '../shared/labels';
import { ExportCsvButton } from './ExportCsvButton';
import { flattenGroups } from './flattenGroups';
import { SearchField } from './SearchField';
import { UsersQueryState } from './usersQueryState';
import { useListStyles } from '../shared/listStyles';

const useStyles = makeStyles(theme => ({
  bar: { marginBottom: theme.spacing(2) },
  select: { minWidth: 180 },
  group: { minWidth: 240 },
  spacer: { flexGrow: 1 },
}));

function groupLabel(group: IdentityGroupNode) {
  return group.displayName
    ? `${group.displayName} (${shortRef(group.entityRef)})`
    : shortRef(group.entityRef);
}

/** Search, the group, source and status filters, and the CSV export. */
export function UsersFilters(props: {
  state: UsersQueryState;
  onChange: (change: Partial<UsersQueryState>) => void;
}) {
  const classes = useStyles();
  const list = useListStyles();
  const api = useApi(identityApiRef);
  const { state, onChange } = props;
  // The whole group tree is large in a large organisation (5,000 groups are
  // about a megabyte): it is read when the picker is first used, or when the
  // URL names a group to label, not on every visit of the page. The picker
  // degrades to empty options if the tree cannot load; the table still works.
  const [groupsWanted, setGroupsWanted] = useState(!!state.group);
  useEffect(() => {
    if (state.group) setGroupsWanted(true);
  }, [state.group]);
  const groups = useAsync(
    async () => (groupsWanted ? api.getGroups() : undefined),
    [api, groupsWanted],
  );
  const options = useMemo(
    () => flattenGroups(groups.value?.roots ?? []),
    [groups.value],
  );
  const selectedGroup =
    options.find(g => g.entityRef === state.group) ??
    (state.group
      ? ({
          entityRef: state.group,
          namespace: '',
          name: state.group,
          directMemberCount: 0,
          totalMemberCount: 0,
          children: [],
        } as IdentityGroupNode)
      : null);
  const hasFilters =
    !!state.q || !!state.group || !!state.source || state.status.length > 0;

  return (
    <div className={`${list.toolbar} ${classes.bar}`}>
      <SearchField value={state.q} onChange={q => onChange({ q })} />
      <Autocomplete
        className={classes.group}
        size="small"
        options={options}
        loading={groups.loading || (!groups.value && !groups.error)}
        onOpen={() => setGroupsWanted(true)}
        onFocus={() => setGroupsWanted(true)}
        value={selectedGroup}
        getOptionLabel={groupLabel}
        getOptionSelected={(a, b) => a.entityRef === b.entityRef}
        onChange={(_, group) => onChange({ group: group?.entityRef })}
        renderInput={params => (
          <TextField
            {...params}
            label="Group (direct or inherited)"
            variant="outlined"
          />
        )}
      />
      <TextField
        select
        className={classes.select}
        size="small"
        variant="outlined"
        label="Source"
        value={state.source ?? ''}
        onChange={e =>
          onChange({
            source: (e.target.value || undefined) as IdentitySource | undefined,
          })
        }
        SelectProps={{ SelectDisplayProps: { 'aria-label': 'Source' } as any }}
      >
        <MenuItem value="">All sources</MenuItem>
        {identitySources.map(source => (
          <MenuItem key={source} value={source}>
            {sourceLabels[source]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        className={classes.select}
        size="small"
        variant="outlined"
        label="Status"
        value={state.status}
        onChange={e =>
          onChange({
            status: e.target.value as unknown as IdentityStatusFlag[],
          })
        }
        SelectProps={{
          multiple: true,
          renderValue: selected =>
            (selected as IdentityStatusFlag[])
              .map(f => statusFlagLabels[f])
              .join(', '),
          SelectDisplayProps: { 'aria-label': 'Status' } as any,
        }}
      >
        {identityStatusFlags.map(flag => (
          <MenuItem key={flag} value={flag}>
            <Checkbox size="small" checked={state.status.includes(flag)} />
            <ListItemText primary={statusFlagLabels[flag]} />
          </MenuItem>
        ))}
      </TextField>
      {hasFilters && (
        <Button
          onClick={() =>
            onChange({
              q: '',
              group: undefined,
              source: undefined,
              status: [],
            })
          }
        >
          Clear filters
        </Button>
      )}
      <div className={classes.spacer} />
      <ExportCsvButton query={state} />
    </div>
  );
}
