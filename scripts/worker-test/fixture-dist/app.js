// fixture
export const fixture = true;
