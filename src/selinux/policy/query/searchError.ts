/** An unknown name or a bad criterion of a rule search; the message is sesearch's. */
export class SearchError extends Error {}
