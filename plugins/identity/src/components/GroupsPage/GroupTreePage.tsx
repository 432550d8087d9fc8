import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import TreeItem from '@material-ui/lab/TreeItem';
import TreeView from '@material-ui/lab/TreeView';
import { IdentityGroupNode } from '@identity-governance/plugin-identity-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { shortRef } from '../shared/shortRef';
import { useIdentityLinks } from '../shared/useIdentityLinks';

/** Above this many groups, the tree opens with only its roots expanded. */
const EXPAND_ALL_LIMIT = 200;

const useStyles = makeStyles(theme => ({
  // The name and the counts each stay on one line; in a narrow tree the
  // counts go under the name rather than splitting either.
  label: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
    '& > *': { whiteSpace: 'nowrap' },
  },
  counts: { color: theme.palette.text.secondary },
}));

type Rendered = { element: JSX.Element; ids: string[] };

function GroupLabel(props: { node: IdentityGroupNode }) {
  const classes = useStyles();
  const links = useIdentityLinks();
  const { node } = props;
  return (
    <span className={classes.label}>
      <Link to={links.group(node.entityRef)} onClick={e => e.stopPropagation()}>
        {node.displayName ?? shortRef(node.entityRef)}
      </Link>
      <Typography variant="body2" component="span" className={classes.counts}>
        {node.directMemberCount} direct · {node.totalMemberCount} total
      </Typography>
    </span>
  );
}

/**
 * Node ids are paths, not refs: a group with two parents appears twice, and
 * a ref seen again on its own path (a cycle) is not followed.
 */
function renderNode(node: IdentityGroupNode, parentPath: string[]): Rendered {
  const path = [...parentPath, node.entityRef];
  const id = path.join('>');
  const children = node.children
    .filter(child => !path.includes(child.entityRef))
    .map(child => renderNode(child, path));
  return {
    element: (
      <TreeItem key={id} nodeId={id} label={<GroupLabel node={node} />}>
        {children.length > 0 ? children.map(c => c.element) : null}
      </TreeItem>
    ),
    ids: [id, ...children.flatMap(c => c.ids)],
  };
}

/** The group hierarchy with direct and total (nested) member counts. */
export function GroupTreePage() {
  const api = useApi(identityApiRef);
  const tree = useAsync(() => api.getGroups(), [api]);
  const rendered = useMemo(
    () => tree.value?.roots.map(root => renderNode(root, [])) ?? [],
    [tree.value],
  );

  if (tree.loading) return <Progress />;
  if (tree.error) return <ErrorState error={tree.error} />;
  if (!tree.value || tree.value.totalGroups === 0) {
    return (
      <EmptyState
        missing="data"
        title="No groups"
        description="The catalog holds no Group entities yet."
      />
    );
  }
  const expanded =
    tree.value.totalGroups <= EXPAND_ALL_LIMIT
      ? rendered.flatMap(r => r.ids)
      : rendered.map(r => r.ids[0]);

  return (
    <InfoCard
      title="Group hierarchy"
      subheader={`${tree.value.totalGroups} groups`}
    >
      <TreeView
        aria-label="Group hierarchy"
        defaultExpanded={expanded}
        defaultCollapseIcon={<ExpandMoreIcon />}
        defaultExpandIcon={<ChevronRightIcon />}
      >
        {rendered.map(r => r.element)}
      </TreeView>
    </InfoCard>
  );
}
