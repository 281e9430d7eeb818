// Contact form: fill the seller's name when the buyer picks an order (the server does it again on submit).
document.addEventListener("DOMContentLoaded", () => {
  const order = document.querySelector("select[name='order'][data-sellers]");
  const seller = document.querySelector("input[name='seller_name']");
  if (!order || !seller) {
    return;
  }
  const sellers = JSON.parse(order.dataset.sellers || "{}");
  const sync = () => {
    const name = sellers[order.value];
    seller.readOnly = Boolean(name);
    if (name) {
      seller.value = name;
    }
  };
  order.addEventListener("change", sync);
  sync();
});
