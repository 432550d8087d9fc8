import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { TabFallback } from './TabFallback';

function Where() {
  return <div>at {useLocation().pathname}</div>;
}

function renderAt(path: string, tabs: string[]) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route
          path="/identity/*"
          element={
            <TabFallback tabs={tabs}>
              <Where />
            </TabFallback>
          }
        />
      </Routes>
    </MemoryRouter>,
  );
}

describe('TabFallback', () => {
  it('sends a path naming a tab the user lacks to the first tab they have', () => {
    renderAt('/identity/users/default/ada.admin', ['my-access']);
    expect(screen.getByText('at /identity/my-access')).toBeInTheDocument();
  });

  it('leaves a path of one of the tabs alone', () => {
    renderAt('/identity/users/default/ada.admin', ['users', 'my-access']);
    expect(
      screen.getByText('at /identity/users/default/ada.admin'),
    ).toBeInTheDocument();
  });

  it('leaves the page root to the page, which opens its first tab', () => {
    renderAt('/identity', ['my-access']);
    expect(screen.getByText('at /identity')).toBeInTheDocument();
  });
});
