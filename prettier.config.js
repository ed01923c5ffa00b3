// One formatting for the tree, checked in CI (npm run format:check) and applied with npm run format.
export default {
  printWidth: 140,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
};
