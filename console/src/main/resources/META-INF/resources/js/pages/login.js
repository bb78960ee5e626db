// The login form: user name and password, checked by inventory through POST /console/api/session.
import { api } from '../api.js';
import { h, clear, field, form } from '../ui.js';

export function renderLogin(main, onLoggedIn) {
  const f = form({
    label: 'Log in',
    submit: 'Log in',
    fields: [
      field({ name: 'username', label: 'User name', autocomplete: 'username', required: true }),
      field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true }),
    ],
    onSubmit: async (values) => {
      if (!values.username || !values.password) {
        const error = new Error('Enter your user name and password.');
        error.fieldErrors = {};
        if (!values.username) error.fieldErrors.username = 'required';
        if (!values.password) error.fieldErrors.password = 'required';
        throw error;
      }
      let view;
      try {
        view = await api.post('session', { username: values.username, password: values.password }, { noRedirect: true });
      } catch (e) {
        if (e.status === 401) {
          // wrong credentials: shown in the form (other pages leave a 401 to the login redirect)
          e.unauthorized = false;
          f.querySelector('input[name=password]').value = '';
          f.querySelector('input[name=password]').focus();
        }
        if (e.status === 429) {
          e.message = 'Too many attempts; try again later. ' + e.message;
        }
        throw e;
      }
      await onLoggedIn(view);
    },
  });
  f.id = 'login-form';
  clear(main, h('div.login', h('div.panel',
    h('h1', 'Bandwatch'),
    h('p.muted', 'Log in to the operator console.'),
    f)));
  f.querySelector('input[name=username]').focus();
}
