/** Chain lengths every verification case is measured at. */
export const SIZES = [1, 3, 8, 32] as const;
