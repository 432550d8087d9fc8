import Chip, { ChipProps } from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { ReactElement, RefObject, useRef, useState } from 'react';

const useStyles = makeStyles({
  text: {
    display: 'inline-block',
    maxWidth: '100%',
    verticalAlign: 'bottom',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  chip: {
    // Never wider than the cell or box it sits in.
    maxWidth: '100%',
  },
  chipText: {
    display: 'block',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
});

/** Whether an element's text is cut at its right edge. */
function isCut(el: HTMLElement | null): boolean {
  return !!el && el.scrollWidth > el.clientWidth;
}

/**
 * A tooltip with the full text that opens only when the text is cut. The
 * element's DOM holds the full text either way, so screen readers and
 * find-in-page see all of it; the tooltip is for the eye.
 */
function CutTooltip(props: {
  text: string;
  measure: RefObject<HTMLElement>;
  children: ReactElement;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Tooltip
      title={props.text}
      open={open}
      onOpen={() => setOpen(isCut(props.measure.current))}
      onClose={() => setOpen(false)}
    >
      {props.children}
    </Tooltip>
  );
}

/**
 * One line of text, cut with an ellipsis when longer than `maxWidth` (or its
 * container); the full text shows in a tooltip on hover or focus.
 */
export function TruncatedText(props: {
  text: string;
  /** A cap on the width, in pixels or any CSS length. */
  maxWidth?: number | string;
  className?: string;
}) {
  const classes = useStyles();
  const ref = useRef<HTMLSpanElement>(null);
  return (
    <CutTooltip text={props.text} measure={ref}>
      <span
        ref={ref}
        className={`${classes.text} ${props.className ?? ''}`}
        style={props.maxWidth !== undefined ? { maxWidth: props.maxWidth } : {}}
        // MUI sets the tooltip's text as a native title while it is closed,
        // which would show on text that is not cut too: the tooltip is enough.
        title={undefined}
      >
        {props.text}
      </span>
    </CutTooltip>
  );
}

/** The widest a chip grows before its label is cut. */
export const CHIP_MAX_WIDTH = 200;

/**
 * A Material UI chip whose label stays on one line: a label longer than
 * `maxWidth` (or the chip's container) is cut with an ellipsis and shown in
 * full in a tooltip.
 */
export function TruncatedChip(
  props: Omit<ChipProps, 'label'> & {
    label: string;
    /** A cap on the label's width; defaults to {@link CHIP_MAX_WIDTH}. */
    maxWidth?: number | string;
  },
) {
  const { label, maxWidth = CHIP_MAX_WIDTH, className, ...chipProps } = props;
  const classes = useStyles();
  const ref = useRef<HTMLSpanElement>(null);
  return (
    <CutTooltip text={label} measure={ref}>
      <Chip
        {...chipProps}
        className={`${classes.chip} ${className ?? ''}`}
        title={undefined}
        label={
          <span ref={ref} className={classes.chipText} style={{ maxWidth }}>
            {label}
          </span>
        }
      />
    </CutTooltip>
  );
}
