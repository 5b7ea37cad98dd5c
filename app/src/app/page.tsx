import { Dashboard } from "../views/dashboard";

export default function Page() {
  return <Dashboard />;
}
