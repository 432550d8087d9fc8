export { catalogModuleDemoDirectoryDrift as default } from './module';
