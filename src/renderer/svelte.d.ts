// Svelte components are compiled by Vite; to TypeScript each is a component with its props.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
