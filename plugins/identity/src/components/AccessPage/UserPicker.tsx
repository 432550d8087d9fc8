import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { IdentityUser } from '@identity-governance/plugin-identity-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { identityApiRef } from '../../api';
import { SEARCH_DEBOUNCE_MS } from '../UsersPage/SearchField';

/** How many suggestions the user picker asks the server for. */
const SUGGESTIONS = 10;

/**
 * A user: typed as an entity ref or a name, or picked from the users the
 * server's search suggests as one types (`GET /users?q=`).
 */
export function UserPicker(props: {
  value: string;
  onChange: (userEntityRef: string) => void;
  /** The field's label and accessible name; `User` unless given. */
  label?: string;
}) {
  const label = props.label ?? 'User';
  const api = useApi(identityApiRef);
  const [search, setSearch] = useState(props.value);
  useDebounce(() => setSearch(props.value.trim()), SEARCH_DEBOUNCE_MS, [
    props.value,
  ]);
  const suggestions = useAsync(
    async () =>
      search
        ? (await api.getUsers({ q: search, limit: SUGGESTIONS })).items
        : [],
    [api, search],
  );

  return (
    <Autocomplete<IdentityUser | string, false, false, true>
      freeSolo
      options={suggestions.value ?? []}
      loading={suggestions.loading}
      filterOptions={options => options}
      getOptionLabel={option =>
        typeof option === 'string' ? option : option.entityRef
      }
      renderOption={option =>
        typeof option === 'string'
          ? option
          : `${option.name}${
              option.displayName ? ` (${option.displayName})` : ''
            }`
      }
      inputValue={props.value}
      onInputChange={(_, text) => props.onChange(text)}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          placeholder="user:default/ada.admin or a name"
          variant="outlined"
          size="small"
          required
          inputProps={{ ...params.inputProps, 'aria-label': label }}
        />
      )}
    />
  );
}
