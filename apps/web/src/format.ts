/** "difficult-conversations" -> "Difficult conversations": how competency and other slugs read on screen. */
export const slugLabel = (slug: string) => slug.replace(/-/g, " ").replace(/^\w/, (letter) => letter.toUpperCase());
