import { mount } from 'svelte';
import App from './App.svelte';
import { connect } from './lib/api.js';
import { Miner } from './lib/miner.svelte.js';

const miner = new Miner(connect(window));
mount(App, { target: document.getElementById('app')!, props: { miner } });
// The page's WebSocket (or the Electron bridge's listener) closes with it, not after it.
window.addEventListener('pagehide', () => miner.dispose());
