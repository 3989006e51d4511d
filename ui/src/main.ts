import { mount } from 'svelte';
// First: every message reads the language this module keeps.
import './lib/i18n.svelte';
import './app.css';
import App from './App.svelte';
import { followRootSize } from './lib/icons.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

followRootSize();
export default mount(App, { target });
