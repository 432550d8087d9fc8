import { Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { AccessDecidedBy } from '@identity-governance/plugin-identity-common';
import { shortRef } from '../shared/shortRef';
import { useIdentityLinks } from '../shared/useIdentityLinks';
import { usePlainRefs } from '../shared/plainRefs';

function GroupLink(props: { group?: string }) {
  const links = useIdentityLinks();
  const plain = usePlainRefs();
  if (!props.group) return null;
  if (plain) return <>{shortRef(props.group)}</>;
  return <Link to={links.group(props.group)}>{shortRef(props.group)}</Link>;
}

/**
 * What settled a decision, in words: the admin group, the rule and its
 * group, the owners rule, the default decision or the missing membership.
 */
export function DecidedBy(props: { decidedBy: AccessDecidedBy }) {
  const { kind, rule, group } = props.decidedBy;
  let text;
  switch (kind) {
    case 'admin-group':
      text = (
        <>
          Admin group <GroupLink group={group} />
        </>
      );
      break;
    case 'rule':
      text = (
        <>
          Rule <code>{rule}</code> for <GroupLink group={group} />
        </>
      );
      break;
    case 'owners':
      text = (
        <>
          Rule <code>{rule}</code>: owners of the entity only
        </>
      );
      break;
    case 'default':
      text = <>Not guarded: the default decision</>;
      break;
    case 'not-in-allowed-group':
      text = <>Not in an allowed group</>;
      break;
    case 'unauthenticated':
      text = <>Not signed in</>;
      break;
    case 'error':
      text = <>The decision failed and was denied</>;
      break;
    default:
      text = <>{kind}</>;
  }
  return (
    <Typography component="span" variant="body2">
      {text}
    </Typography>
  );
}
