import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import { useEffect, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';

/**
 * How long typing pauses before the search is sent. Long enough to pass
 * between keystrokes of someone typing (about 100 ms a key), short enough
 * that the results follow soon after the last one.
 */
export const SEARCH_DEBOUNCE_MS = 150;

/**
 * A search box that sends its text only once typing pauses: one request per
 * pause, not one per keystroke, whatever the size of the directory.
 */
export function SearchField(props: {
  value: string | undefined;
  onChange: (q: string) => void;
}) {
  const { value = '', onChange } = props;
  const [text, setText] = useState(value);

  // The URL can change under us (back button, summary tile, shared link).
  useEffect(() => setText(value), [value]);

  useDebounce(
    () => {
      if (text.trim() !== value) onChange(text.trim());
    },
    SEARCH_DEBOUNCE_MS,
    [text],
  );

  return (
    <TextField
      label="Search"
      placeholder="Name, display name or email"
      variant="outlined"
      size="small"
      value={text}
      onChange={e => setText(e.target.value)}
      inputProps={{ 'aria-label': 'Search users' }}
      InputProps={{
        startAdornment: (
          <InputAdornment position="start">
            <SearchIcon fontSize="small" />
          </InputAdornment>
        ),
      }}
    />
  );
}
