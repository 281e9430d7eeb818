// The proposal form shows only the fields the chosen kind needs; without JS every field stays visible.
(() => {
  const form = document.querySelector(".proposal-form");
  if (!form) return;
  const fieldsFor = {
    partial_refund: ["amount"],
    shipment_proof: ["carrier", "tracking_number", "receipt"],
  };
  const optional = ["amount", "carrier", "tracking_number", "receipt"];
  const update = () => {
    const checked = form.querySelector("input[name=kind]:checked");
    const wanted = fieldsFor[checked ? checked.value : ""] || [];
    for (const name of optional) {
      const wrapper = form.querySelector(`#div_id_${name}`);
      if (wrapper) wrapper.hidden = !wanted.includes(name);
    }
  };
  form.addEventListener("change", update);
  update();
})();
