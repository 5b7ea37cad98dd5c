import Link from "next/link";

export default function NotFound() {
  return (
    <div className="py-24 text-center" data-testid="not-found">
      <h1 className="text-3xl font-bold text-white">Not found</h1>
      <p className="mt-2 text-slate-400">There is nothing at this address.</p>
      <Link href="/" className="mt-6 inline-block text-indigo-300 hover:underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
