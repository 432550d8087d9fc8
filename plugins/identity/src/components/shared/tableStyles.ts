import { makeStyles } from '@material-ui/core/styles';

/**
 * For every table of the page (put `classes.table` on the `Table`).
 * Backstage's theme gives table cells `word-break: break-word`, which lets
 * the browser shrink a column below its longest word and split words
 * ("Sourc e", "Membershi p") when the table is short of room. Here cells
 * break between words only; a value that may be long is cut with an ellipsis
 * and a tooltip (see Truncated.tsx), and column headers stay on one line.
 * A table that still does not fit scrolls sideways in its container.
 */
export const useTableStyles = makeStyles(theme => ({
  table: {
    '& th, & td': {
      wordBreak: 'normal',
      overflowWrap: 'normal',
      // Denser than Backstage's 20 + 16 px between columns, so that the
      // users table's seven columns fit beside the pinned sidebar at 1280 px.
      paddingLeft: theme.spacing(1),
      paddingRight: theme.spacing(1),
    },
    '& th:first-child, & td:first-child': { paddingLeft: theme.spacing(2.5) },
    '& th:last-child, & td:last-child': { paddingRight: theme.spacing(2) },
    '& thead th': {
      whiteSpace: 'nowrap',
    },
  },
  /** A cell whose content must not wrap at all (names, refs, chips). */
  nowrap: {
    whiteSpace: 'nowrap',
  },
}));
