export { IdentityPage } from './IdentityPage/IdentityPage';
export { UsersRoutes } from './UsersPage/UsersRoutes';
export { GroupsRoutes } from './GroupsPage/GroupsRoutes';
