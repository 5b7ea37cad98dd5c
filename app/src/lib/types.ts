// The API's response shapes the pages read (api/src/domains/*/schemas.ts is the source).
export type Currency = "ECE" | "USDC";
export type Rarity = "common" | "rare" | "epic" | "legendary";

export interface TokenBalance {
  mint: string;
  amount: string;
  decimals: number;
  accounts: number;
}
export interface Balances {
  wallet: string;
  slot: number;
  sol: { lamports: string };
  ece: TokenBalance;
  usdc: TokenBalance;
}

export interface Company {
  id: string;
  name: string;
  ticker: string;
  sector: string;
  payoutWallet?: string | null;
}
export interface Card {
  id: string;
  mint: string;
  name: string;
  sector: string;
  rarity: Rarity;
  metrics: Record<string, number | string | boolean | null>;
  imageUrl: string | null;
  owner: string | null;
  ownerSlot: number | null;
  company: Company;
  createdAt: string;
}
export interface CardDetail extends Card {
  ownerSource: "chain" | "mirror";
  tokenAccount: string | null;
}

export interface Listing {
  id: string;
  card: { id: string; mint: string; name: string; rarity: Rarity; sector: string };
  seller: string;
  currency: Currency;
  currencyMint: string;
  price: string;
  fee: string;
  sellerReceives: string;
  status: "active" | "sold" | "cancelled" | "expired";
  approval: "pending" | "verified";
  approveSignature: string | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface Sale {
  id: string;
  listingId: string;
  cardId: string;
  seller: string;
  buyer: string;
  currency: Currency;
  currencyMint: string;
  price: string;
  fee: string;
  signature: string;
  slot: number | null;
  soldAt: string;
}

export interface Battle {
  id: string;
  title: string;
  cardA: { id: string; name: string; mint: string; companyId: string };
  cardB: { id: string; name: string; mint: string; companyId: string };
  startsAt: string;
  endsAt: string;
  status: "scheduled" | "live" | "closed" | "cancelled";
  winner: "a" | "b" | null;
  tallyA: string;
  tallyB: string;
  votes: number;
  participants: number;
  snapshotSlot: string | null;
  rewardProposal: string | null;
  createdAt: string;
  closedAt: string | null;
}
export interface VoteView {
  battleId: string;
  wallet: string;
  side: "a" | "b";
  weight: string;
  tallyA: string;
  tallyB: string;
}

export interface Member {
  key: string;
  permissions: number;
  permissionNames: ("propose" | "vote" | "execute")[];
}
export interface Multisig {
  address: string;
  threshold: number;
  timeLockSeconds: number;
  transactionIndex: string;
  riskPolicy: { minScore: number; extraApprovals: number }[];
  voters: number;
  members: Member[];
  source: "chain" | "mirror";
  mirrorInSync: boolean | null;
}
export interface Vault {
  address: string;
  currency: Currency | null;
  mint: string;
  decimals: number | null;
  balance: string | null;
  mirrorBalance: string | null;
  mirrorInSync: boolean | null;
}
export type ProposalStatus = "Draft" | "Active" | "Approved" | "Rejected" | "Cancelled" | "Executing" | "Executed";
export interface ProposalSummary {
  address: string;
  index: string;
  kind: string;
  creator: string;
  status: ProposalStatus;
  riskScore: number;
  required: number;
  approvals: number;
  rejections: number;
  cancellations: number;
  week: number | null;
  mint: string | null;
  entryCount: number | null;
  loadedEntries: number | null;
  executedEntries: number;
  paidAmount: string;
  closed: boolean;
  createdSignature: string;
  updatedAt: string;
}
export interface Payout {
  id: string;
  week: string;
  recipient: string;
  recipientTokenAccount: string | null;
  mint: string;
  amount: string;
  companyId: string | null;
  proposal: string | null;
  entryIndex: number | null;
  status: string;
  signature: string | null;
  paidSlot: number | null;
}
export interface ProposalDetail extends ProposalSummary {
  votes: { member: string; vote: "approve" | "reject" | "cancel"; signature: string; slot: number }[];
  payouts: Payout[];
  chain: {
    status: ProposalStatus;
    required: number;
    approvals: number;
    rejections: number;
    approvedAt: number;
    executedAt: number;
    complianceHash: string;
    action: unknown;
  } | null;
}
export interface PayoutRun {
  id: string;
  week: string;
  status: string;
  revenue: unknown;
  formula: unknown;
  riskScore: number | null;
  error: string | null;
  payoutCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface TxSummary {
  signature: string;
  slot: number;
  blockTime: string | null;
  success: boolean;
  errorName: string | null;
  fee: number;
  computeUnits: number | null;
  signer: string;
  programs: string[];
  program: string | null;
  instruction: string | null;
  commitment: string;
}
export interface TxDetail extends TxSummary {
  error: unknown;
  signers: string[];
  accounts: string[];
  logs: string[];
  instructions: {
    index: number;
    innerIndex: number;
    program: string;
    name: string | null;
    args: unknown;
    accounts: string[];
    amount: string | null;
    mint: string | null;
  }[];
  events: { index: number; program: string; name: string; data: unknown; amount: string | null }[];
  links: { self: string; explorer: string };
  compliance: { id: string; score: number; decision: string; recordHash: string } | null;
}

export interface ComplianceCheck {
  id: string;
  subjectType: "transaction" | "payout" | "wallet" | "batch";
  subjectId: string;
  wallet: string | null;
  score: number;
  reasons: { rule: string; points: number; detail: string }[];
  engineDecision: "approve" | "review" | "block";
  decision: "approve" | "review" | "block" | "override";
  ruleSetVersion: string;
  recordHash: string;
  reviewer: string | null;
  reviewReason: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  readAt: string | null;
  createdAt: string;
}
